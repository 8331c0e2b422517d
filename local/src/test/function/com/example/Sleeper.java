package com.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.llmobs.LLMObs;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Finishes a task span, then waits for ever: runs past any timeout. */
public class Sleeper implements RequestHandler<Map<String, Object>, String> {
  @Override public String handleRequest(Map<String, Object> event, Context context) {
    LLMObs.task("before-the-wait", () -> "done");
    System.out.println("sleeper: waiting for ever");
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "never";
  }
}
