package example.handlers;

/** A plain POJO response. */
public class Answer {
  private String claimId;
  private boolean covered;

  public Answer() {}

  public Answer(String claimId, boolean covered) {
    this.claimId = claimId;
    this.covered = covered;
  }

  public String getClaimId() { return claimId; }
  public void setClaimId(String claimId) { this.claimId = claimId; }
  public boolean isCovered() { return covered; }
  public void setCovered(boolean covered) { this.covered = covered; }
}
