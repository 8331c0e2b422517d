package dev.llmobs.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.listener.EmbeddingModelErrorContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelRequestContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelResponseContext;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverErrorContext;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverListener;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverRequestContext;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverResponseContext;
import dev.llmobs.Document;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import java.util.ArrayList;
import java.util.List;

/** Content retrieval as {@code retrieval} spans and embedding calls as {@code embedding} spans. */
final class RagListeners {
  /**
   * The retrieval running on this thread, so that the embedding of its query nests under it. The retrieval span is
   * not made current (its end may come on another thread, and a current span must end where it began); LangChain4j
   * embeds the query on the retrieving thread, between the retrieval's request and its response.
   */
  private static final ThreadLocal<LLMObsSpan> RETRIEVING = new ThreadLocal<>();

  private RagListeners() {}

  /** The retrieval this thread is in, if it is still open. */
  static LLMObsSpan retrieving() {
    LLMObsSpan r = RETRIEVING.get();
    if (r != null && !r.isRecording()) {
      RETRIEVING.remove(); // ended elsewhere: never a parent again
      return null;
    }
    return r;
  }

  private static void retrieved(LLMObsSpan span) {
    if (RETRIEVING.get() == span) RETRIEVING.remove();
  }

  /** Query in, documents with their scores out. */
  static final class Retrieval implements ContentRetrieverListener {
    @Override public void onRequest(ContentRetrieverRequestContext ctx) {
      try {
        LLMObsSpan span = LLMObs.span(SpanKind.RETRIEVAL, "langchain4j.retrieve").startDetached();
        SpanAttributes.put(ctx.attributes(), span);
        RETRIEVING.set(span);
        if (ctx.query() != null) span.input(ctx.query().text());
      } catch (RuntimeException | LinkageError e) {
        ChatMapping.report(e);
      }
    }

    @Override public void onResponse(ContentRetrieverResponseContext ctx) {
      LLMObsSpan span = SpanAttributes.take(ctx.attributes());
      if (span == null) return;
      retrieved(span);
      try {
        List<Document> documents = new ArrayList<>();
        if (ctx.contents() != null) for (Content c : ctx.contents()) documents.add(document(c));
        span.outputDocuments(documents);
      } catch (RuntimeException | LinkageError e) {
        ChatMapping.report(e);
      } finally {
        span.finish();
      }
    }

    @Override public void onError(ContentRetrieverErrorContext ctx) {
      RETRIEVING.remove();
      SpanAttributes.fail(ctx.attributes(), ctx.error());
    }

    private static Document document(Content c) {
      TextSegment segment = c.textSegment();
      Document d = Document.of(segment == null ? "" : segment.text());
      Object score = c.metadata() == null ? null : c.metadata().get(ContentMetadata.SCORE);
      if (score instanceof Number) d = d.withScore(((Number) score).doubleValue());
      Object id = c.metadata() == null ? null : c.metadata().get(ContentMetadata.EMBEDDING_ID);
      return id == null ? d : d.withId(String.valueOf(id));
    }
  }

  /** Texts in as documents; out, Datadog's summary of what came back; tokens when the model reports them. */
  static final class Embeddings implements EmbeddingModelListener {
    @Override public void onRequest(EmbeddingModelRequestContext ctx) {
      try {
        String model = ctx.embeddingModel() == null ? null : ctx.embeddingModel().modelName();
        LLMObsSpan retrieval = retrieving();
        dev.llmobs.SpanBuilder b = LLMObs.span(SpanKind.EMBEDDING, "langchain4j.embed").modelName(model);
        LLMObsSpan span = (retrieval != null ? b.parent(retrieval) : b).startDetached();
        SpanAttributes.put(ctx.attributes(), span);
        List<Document> documents = new ArrayList<>();
        if (ctx.textSegments() != null) for (TextSegment s : ctx.textSegments()) documents.add(Document.of(s.text()));
        span.inputDocuments(documents);
      } catch (RuntimeException | LinkageError e) {
        ChatMapping.report(e);
      }
    }

    @Override public void onResponse(EmbeddingModelResponseContext ctx) {
      LLMObsSpan span = SpanAttributes.take(ctx.attributes());
      if (span == null) return;
      try {
        Response<List<Embedding>> r = ctx.response();
        List<Embedding> embeddings = r == null || r.content() == null ? List.of() : r.content();
        int size = embeddings.isEmpty() ? 0 : embeddings.get(0).dimension();
        span.output(dev.llmobs.internal.Integrations.embeddingsOutput(embeddings.size(), size));
        TokenUsage usage = r == null ? null : r.tokenUsage();
        if (usage != null && usage.inputTokenCount() != null) span.metric("input_tokens", usage.inputTokenCount());
      } catch (RuntimeException | LinkageError e) {
        ChatMapping.report(e);
      } finally {
        span.finish();
      }
    }

    @Override public void onError(EmbeddingModelErrorContext ctx) {
      SpanAttributes.fail(ctx.attributes(), ctx.error());
    }
  }
}
