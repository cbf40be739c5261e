package io.auditstream.spring.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.spring.testapp.TestHost;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Calls the management API through Spring's real web layer, as a signed-in user, and reads the JSON answer. */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockMvc mvc;

  ApiClient(MockMvc mvc) {
    this.mvc = mvc;
  }

  /** An answer: its status, content type and raw body. */
  record Answer(int status, String contentType, String body, String location) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
      return read(Map.class);
    }

    @SuppressWarnings("unchecked")
    List<Object> list() {
      return read(List.class);
    }

    private <T> T read(Class<T> type) {
      try {
        return JSON.readValue(body, type);
      } catch (Exception e) {
        throw new AssertionError("not JSON of type " + type.getSimpleName() + ": " + body, e);
      }
    }
  }

  Answer call(HttpMethod method, String path, String actor, Object body) {
    try {
      MockHttpServletRequestBuilder r = request(method, path).accept(MediaType.APPLICATION_JSON,
          MediaType.APPLICATION_PROBLEM_JSON);
      if (actor != null) {
        r.header(TestHost.ACTOR_HEADER, actor);
      }
      if (body != null) {
        r.contentType(MediaType.APPLICATION_JSON).content(body instanceof String s ? s : JSON.writeValueAsString(body));
      }
      MockHttpServletResponse res = mvc.perform(r).andReturn().getResponse();
      return new Answer(res.getStatus(), res.getContentType(), res.getContentAsString(), res.getHeader("Location"));
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed", e);
    }
  }

  Answer get(String path, String actor) {
    return call(HttpMethod.GET, path, actor, null);
  }

  Answer post(String path, String actor, Object body) {
    return call(HttpMethod.POST, path, actor, body);
  }

  Answer patch(String path, String actor, Object body) {
    return call(HttpMethod.PATCH, path, actor, body);
  }

  Answer put(String path, String actor, Object body) {
    return call(HttpMethod.PUT, path, actor, body);
  }

  Answer delete(String path, String actor) {
    return call(HttpMethod.DELETE, path, actor, null);
  }
}
