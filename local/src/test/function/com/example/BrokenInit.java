package com.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Cannot be loaded: its static initializer fails, as a function missing its configuration does. */
public class BrokenInit implements RequestHandler<Map<String, Object>, String> {
  static final String TABLE = require("CLAIMS_TABLE");

  static String require(String name) {
    String v = System.getenv(name);
    if (v == null) throw new IllegalStateException(name + " is not set");
    return v;
  }

  @Override public String handleRequest(Map<String, Object> event, Context context) {
    return TABLE;
  }
}
