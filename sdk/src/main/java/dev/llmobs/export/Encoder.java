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
}
