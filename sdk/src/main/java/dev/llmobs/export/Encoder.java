package dev.llmobs.export;

import dev.llmobs.Evaluation;
import dev.llmobs.FinishedSpan;
import dev.llmobs.internal.json.JsonWriter;

/** A destination's wire format (Datadog's, OTLP's): how one span and one evaluation become the events its sink packs into requests. */
public interface Encoder {
  /**
   * Encodes {@code span} into {@code w} (reset first). With {@code dropIo}, its input and output are replaced by a
   * size marker: the span was too large for the destination.
   */
  void span(FinishedSpan span, JsonWriter w, boolean dropIo);

  /**
   * One evaluation, already checked and resolved by the recorder; null when this wire format has no place for it
   * (end-user feedback in OTLP): it is then counted as dropped and said once.
   */
  byte[] evaluation(Evaluation evaluation);

  /**
   * Whether an evaluation joined by tag should carry the span the tag names, found among the spans sent (OTLP has
   * no server that joins by tag); Datadog's intake joins by tag itself.
   */
  default boolean resolvesTagJoins() {
    return false;
  }
}
