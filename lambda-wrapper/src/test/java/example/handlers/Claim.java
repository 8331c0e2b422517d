package example.handlers;

/** A plain POJO event, as users write them. */
public class Claim {
  private String claimId;
  private String question;

  public Claim() {}

  public String getClaimId() { return claimId; }
  public void setClaimId(String claimId) { this.claimId = claimId; }
  public String getQuestion() { return question; }
  public void setQuestion(String question) { this.question = question; }
}
