package dev.llmobs.springai;

import dev.llmobs.Document;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanBuilder;
import dev.llmobs.SpanKind;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * A vector store's observations (spring-ai-vector-store, loaded only when the application has it): a query a
 * {@code retrieval} with the documents and the store's scores, adding and deleting a {@code task}.
 */
final class VectorStoreSpans {
  private VectorStoreSpans() {}

  static SpanBuilder builder(Observation.Context context) {
    VectorStoreObservationContext c = (VectorStoreObservationContext) context;
    boolean query = "query".equals(c.getOperationName());
    return LLMObs.span(query ? SpanKind.RETRIEVAL : SpanKind.TASK, c.getDatabaseSystem() + "." + c.getOperationName());
  }

  static void finish(Observation.Context context, LLMObsSpan span) {
    VectorStoreObservationContext c = (VectorStoreObservationContext) context;
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (c.getCollectionName() != null) metadata.put("collection", c.getCollectionName());
    if (c.getSimilarityMetric() != null) metadata.put("similarity_metric", c.getSimilarityMetric());
    if (c.getQueryRequest() != null) {
      span.input(c.getQueryRequest().getQuery());
      metadata.put("top_k", c.getQueryRequest().getTopK());
      metadata.put("similarity_threshold", c.getQueryRequest().getSimilarityThreshold());
      if (c.getQueryRequest().hasFilterExpression()) metadata.put("filter", String.valueOf(c.getQueryRequest().getFilterExpression()));
    }
    span.metadata(metadata);
    if (c.getQueryResponse() == null) return;
    List<Document> docs = new ArrayList<>();
    for (org.springframework.ai.document.Document d : c.getQueryResponse()) {
      Document doc = Document.of(d.getText() == null ? "" : d.getText()).withId(d.getId());
      Object source = d.getMetadata().get("source");
      if (source != null) doc = doc.withName(source.toString());
      if (d.getScore() != null) doc = doc.withScore(d.getScore());
      docs.add(doc);
    }
    span.outputDocuments(docs);
  }
}
