package com.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Answers with the wall-clock time its handler started at: the figures' harness measures start-up up to it. */
public class Clock implements RequestHandler<Map<String, Object>, Long> {
  @Override public Long handleRequest(Map<String, Object> event, Context context) {
    return System.currentTimeMillis();
  }
}
