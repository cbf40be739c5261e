package io.auditstream.spring.testapp;

import io.auditstream.api.Actor;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.spring.web.ActorResolver;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A host for the starter's tests: {@code alice} owns the top-level group {@code acme}, {@code carol} owns
 * {@code globex}, and the request header {@code X-Actor} says who is signed in.
 */
// The tests' classpath holds a JDBC driver for the PostgreSQL store's test; these hosts use the embedded store.
@SpringBootApplication(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class TestHost {
  /** The request header that names the signed-in user in these tests. */
  public static final String ACTOR_HEADER = "X-Actor";

  private static final Map<String, String> OWNERS = Map.of("acme", "alice", "globex", "carol");

  @Bean
  AccessPolicy accessPolicy() {
    return (actor, group) -> !actor.isAnonymous() && actor.id().equals(OWNERS.get(group));
  }

  @Bean
  ActorResolver actorResolver() {
    return request -> {
      String name = request.getHeader(ACTOR_HEADER);
      return name == null ? Actor.anonymous() : Actor.of(name);
    };
  }
}
