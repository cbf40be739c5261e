package io.auditstream.sink.gcp;

import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogLevel;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogger;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this sink's credentials out of the two third-party loggers that would print them, whatever
 * the host's logging configuration:
 *
 * <ul>
 *   <li>the Google HTTP client's {@value #TOKEN_EXCHANGE_LOGGER} ({@code java.util.logging}) logs, at
 *       CONFIG, the body of every request and response, which for the token exchange are the signed
 *       assertion and the access token issued. Before each token request, {@link #quietTokenExchange()}
 *       sets it to INFO when it would log CONFIG (and logs at INFO that it did), so that the check the
 *       client makes right after finds it off;
 *   <li>gRPC's Netty transport logs every HTTP/2 frame at DEBUG on {@value #GRPC_FRAME_LOGGER}, headers
 *       included, so the {@code authorization: Bearer <access token>} of every call. {@link
 *       #guardGrpcFrames()} installs a logger factory in gRPC's (shaded) Netty that hands out that
 *       logger with DEBUG and TRACE off and every other logger unchanged; frame loggers are made per
 *       connection, so every connection opened afterwards is covered.
 * </ul>
 *
 * Both are JVM-wide: other Google HTTP clients and gRPC Netty clients of the host lose that debug
 * output too. Internal; may change without notice. Thread-safe.
 */
final class CredentialLogging {
  /** The Google HTTP client's request and response logger. */
  static final String TOKEN_EXCHANGE_LOGGER = "com.google.api.client.http.HttpTransport";
  /** The HTTP/2 frame logger of gRPC's Netty client transport. */
  static final String GRPC_FRAME_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler";

  private static final Logger LOG = LoggerFactory.getLogger(CredentialLogging.class);
  /** Held, so that the level set on it is not lost when the logger would be collected. */
  private static final java.util.logging.Logger TOKEN_EXCHANGE = java.util.logging.Logger.getLogger(TOKEN_EXCHANGE_LOGGER);

  private CredentialLogging() {}

  /** Turns the token exchange's request and response logging off if it is on; cheap when it is off. */
  static void quietTokenExchange() {
    if (TOKEN_EXCHANGE.isLoggable(Level.CONFIG)) {
      TOKEN_EXCHANGE.setLevel(Level.INFO);
      LOG.info("Set the java.util.logging logger {} to INFO: at CONFIG it logs OAuth token requests and responses,"
          + " which carry credentials", TOKEN_EXCHANGE_LOGGER);
    }
  }

  /**
   * Installs the frame-logging guard in gRPC's Netty, unless it is installed already. Never throws: a
   * gRPC whose Netty cannot be guarded (a future version) gets a warning naming the logger to keep above
   * DEBUG, and the sink works on.
   */
  static synchronized void guardGrpcFrames() {
    try {
      InternalLoggerFactory current = InternalLoggerFactory.getDefaultFactory();
      if (!(current instanceof FrameLogGuard)) {
        Method newInstance = InternalLoggerFactory.class.getDeclaredMethod("newInstance", String.class);
        // Protected: the factory that was in place is asked for its loggers as Netty itself would.
        newInstance.setAccessible(true);
        InternalLoggerFactory.setDefaultFactory(new FrameLogGuard(current, newInstance));
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.warn("Could not keep gRPC's frame logger {} from logging at DEBUG ({}): keep it above DEBUG, as it logs"
          + " the access token of every call", GRPC_FRAME_LOGGER, e.toString());
    }
  }

  /** The factory that was in place, with the frame logger's DEBUG and TRACE switched off. */
  private static final class FrameLogGuard extends InternalLoggerFactory {
    private final InternalLoggerFactory delegate;
    private final Method newInstance;

    FrameLogGuard(InternalLoggerFactory delegate, Method newInstance) {
      this.delegate = delegate;
      this.newInstance = newInstance;
    }

    @Override
    protected InternalLogger newInstance(String name) {
      InternalLogger logger;
      try {
        logger = (InternalLogger) newInstance.invoke(delegate, name);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
      return GRPC_FRAME_LOGGER.equals(name) ? withoutDebug(logger) : logger;
    }

    private static InternalLogger withoutDebug(InternalLogger logger) {
      InvocationHandler handler = (proxy, method, args) -> {
        String m = method.getName();
        if (m.equals("isTraceEnabled") || m.equals("isDebugEnabled")) {
          return false;
        }
        if (m.equals("trace") || m.equals("debug")) {
          return null;
        }
        if ((m.equals("isEnabled") || m.equals("log")) && args != null && args.length > 0
            && (args[0] == InternalLogLevel.TRACE || args[0] == InternalLogLevel.DEBUG)) {
          return m.equals("isEnabled") ? Boolean.FALSE : null;
        }
        if (m.equals("toString") && args == null) {
          return logger.toString();
        }
        try {
          return method.invoke(logger, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      };
      return (InternalLogger) Proxy.newProxyInstance(CredentialLogging.class.getClassLoader(),
          new Class<?>[] {InternalLogger.class}, handler);
    }
  }
}
