package com.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain handler with no tracing code: traced with zero code by the layer's exec wrapper. */
public class Echo implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static int invocations;

  @Override public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    invocations++;
    System.out.println("echo: handling request " + context.getAwsRequestId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("keys", event.keySet().toString());
    out.put("invocationsInThisEnvironment", invocations);
    out.put("function", context.getFunctionName());
    return out;
  }
}
