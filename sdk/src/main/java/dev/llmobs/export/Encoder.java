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

  /** One evaluation (or end-user feedback), already checked and resolved by the recorder. */
  byte[] evaluation(Evaluation evaluation);

  /**
   * Whether an evaluation joined by tag should carry the span the tag names, found among the spans sent (OTLP has
   * no server that joins by tag); Datadog's intake joins by tag itself.
   */
  default boolean resolvesTagJoins() {
    return false;
  }
}
