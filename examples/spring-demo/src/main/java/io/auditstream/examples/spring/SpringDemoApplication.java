package io.auditstream.examples.spring;

import io.auditstream.api.Actor;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.spring.web.ActorResolver;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot host that runs the audit-stream starter on the embedded store, with the management REST
 * API, health and metrics on. Its groups: {@code acme} (subgroup {@code acme/platform}, projects {@code
 * acme/platform/api} and {@code acme/web}), owned by {@code alice}; {@code globex}, owned by {@code carol}.
 *
 * <p><b>Demo only:</b> it believes the request header {@code X-Demo-Actor} about who is signed in. A real
 * host maps its authenticated user (Spring Security's principal, say) in its {@link ActorResolver}.
 */
@SpringBootApplication
public class SpringDemoApplication {
  private static final Logger log = LoggerFactory.getLogger(SpringDemoApplication.class);

  /** The header this demo takes the signed-in user from. Never trust such a header in a real host. */
  public static final String ACTOR_HEADER = "X-Demo-Actor";

  /** The demo's top-level groups and their Owners. */
  static final Map<String, Set<String>> OWNERS = Map.of("acme", Set.of("alice"), "globex", Set.of("carol"));

  public static void main(String[] args) {
    SpringApplication.run(SpringDemoApplication.class, args);
  }

  /** Owners of the demo's groups, as a host would answer from its own membership data. */
  @Bean
  AccessPolicy demoAccessPolicy() {
    return (actor, group) -> !actor.isAnonymous() && OWNERS.getOrDefault(group, Set.of()).contains(actor.id());
  }

  /** DEMO ONLY: whoever sends {@code X-Demo-Actor: alice} is alice. */
  @Bean
  ActorResolver demoActorResolver() {
    log.warn("DEMO ONLY: the request header {} is trusted as the signed-in user. Anyone can claim to be anyone."
        + " A real host maps its authenticated user to an Actor.", ACTOR_HEADER);
    return request -> {
      String name = request.getHeader(ACTOR_HEADER);
      return name == null || name.isBlank() ? Actor.anonymous() : Actor.of(name.strip());
    };
  }
}
