package com.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Fails every invocation with its own exception. */
public class Thrower implements RequestHandler<Map<String, Object>, String> {
  @Override public String handleRequest(Map<String, Object> event, Context context) {
    throw new IllegalArgumentException("claimId is required");
  }
}
