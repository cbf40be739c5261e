package io.auditstream.spring.web;

import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.core.AuditStreamer;
import io.auditstream.spring.AuditStreamAutoConfiguration;
import io.auditstream.spring.AuditStreamSetupException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Serves the destinations management REST API ({@link DestinationsController}) when {@code
 * audit-stream.api.enabled=true} in a servlet web application. Needs one {@link ActorResolver} bean:
 * without it the application does not start, and says what to add.
 */
@AutoConfiguration(after = AuditStreamAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "audit-stream.api.enabled")
@ConditionalOnBean(AuditStreamer.class)
public class AuditStreamWebAutoConfiguration {

  /** The API's controller. */
  @Bean
  public DestinationsController auditStreamDestinationsController(AuditStreamer streamer,
      ObjectProvider<ActorResolver> actorResolver) {
    ActorResolver actors = actorResolver.getIfUnique();
    if (actors == null) {
      throw new AuditStreamSetupException(
          "audit-stream.api.enabled=true serves the destinations API, which needs to know who makes each request,"
              + " and the application has no single bean of type io.auditstream.spring.web.ActorResolver.",
          "Declare one that maps the signed-in user to an Actor, for example: @Bean ActorResolver actors() { return"
              + " request -> request.getUserPrincipal() == null ? Actor.anonymous() :"
              + " Actor.of(request.getUserPrincipal().getName()); }");
    }
    return new DestinationsController(streamer.destinations(), actors,
        new DestinationJson(DestinationKinds.discover(Thread.currentThread().getContextClassLoader())));
  }

  /** The API's problem responses. */
  @Bean
  public ProblemResponses auditStreamProblemResponses() {
    return new ProblemResponses();
  }
}
