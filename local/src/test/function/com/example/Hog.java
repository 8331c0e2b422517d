package com.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keeps every block it allocates until the heap is gone. */
public class Hog implements RequestHandler<Map<String, Object>, String> {
  static final List<long[]> KEPT = new ArrayList<>();

  @Override public String handleRequest(Map<String, Object> event, Context context) {
    while (true) KEPT.add(new long[1 << 20]);
  }
}
