package io.auditstream.spring.web;

import io.auditstream.api.Actor;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Maps the request's signed-in user to the {@link Actor} the library asks the host's {@link
 * io.auditstream.api.spi.AccessPolicy} about. The management REST API needs exactly one such bean; with
 * Spring Security, for example: {@code request -> Optional.ofNullable(request.getUserPrincipal())
 * .map(p -> Actor.of(p.getName())).orElse(Actor.anonymous())}.
 *
 * <p>Called on request threads, concurrently: implementations must be thread-safe.
 */
@FunctionalInterface
public interface ActorResolver {
  /** The actor making {@code request}; {@link Actor#anonymous()} (or null) when nobody is signed in. */
  Actor resolve(HttpServletRequest request);
}
