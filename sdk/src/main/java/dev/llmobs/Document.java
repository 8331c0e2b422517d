package dev.llmobs;

/**
 * A document: the input of an {@code embedding} span or the output of a {@code retrieval} span. Only the text is
 * expected; name, id and score are optional. Immutable; the {@code with*} methods return copies.
 */
public final class Document {
  final String text;
  final String name;
  final String id;
  final Double score;

  private Document(String text, String name, String id, Double score) {
    this.text = text == null ? "" : text;
    this.name = name;
    this.id = id;
    this.score = score;
  }

  public static Document of(String text) {
    return new Document(text, null, null, null);
  }

  public Document withName(String name) {
    return new Document(text, name, id, score);
  }

  public Document withId(String id) {
    return new Document(text, name, id, score);
  }

  /** A non-finite score is ignored. */
  public Document withScore(double score) {
    return new Document(text, name, id, Double.isFinite(score) ? score : null);
  }

  public String text() {
    return text;
  }

  public String name() {
    return name;
  }

  public String id() {
    return id;
  }

  public Double score() {
    return score;
  }
}
