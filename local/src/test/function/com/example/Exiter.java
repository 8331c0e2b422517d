package com.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Calls System.exit in the middle of an invocation. */
public class Exiter implements RequestHandler<Map<String, Object>, String> {
  @Override public String handleRequest(Map<String, Object> event, Context context) {
    System.out.println("exiter: leaving");
    System.exit(3);
    return "never";
  }
}
