package io.auditstream.sink.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogLevel;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogger;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class CredentialLoggingTest {
  @Test
  void turnsTheTokenExchangeContentLogOffWhenAHostTurnedItOn() {
    Logger transport = Logger.getLogger(CredentialLogging.TOKEN_EXCHANGE_LOGGER);
    Level before = transport.getLevel();
    try {
      transport.setLevel(Level.ALL);

      CredentialLogging.quietTokenExchange();

      assertThat(transport.isLoggable(Level.CONFIG)).isFalse();
      assertThat(transport.isLoggable(Level.INFO)).isTrue();
    } finally {
      transport.setLevel(before);
    }
  }

  @Test
  void leavesAQuietTokenExchangeLoggerAsItIs() {
    Logger transport = Logger.getLogger(CredentialLogging.TOKEN_EXCHANGE_LOGGER);
    Level before = transport.getLevel();
    try {
      transport.setLevel(Level.WARNING);

      CredentialLogging.quietTokenExchange();

      assertThat(transport.getLevel()).isEqualTo(Level.WARNING);
    } finally {
      transport.setLevel(before);
    }
  }

  @Test
  void grpcFrameLoggerHasNoDebugOutputWhileOtherNettyLoggersKeepTheirs() {
    InternalLoggerFactory before = InternalLoggerFactory.getDefaultFactory();
    Logger frames = Logger.getLogger(CredentialLogging.GRPC_FRAME_LOGGER);
    Logger other = Logger.getLogger("io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler");
    Level framesBefore = frames.getLevel();
    Level otherBefore = other.getLevel();
    try {
      // Netty logging through java.util.logging, with both loggers at their finest.
      InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
      frames.setLevel(Level.ALL);
      other.setLevel(Level.ALL);

      CredentialLogging.guardGrpcFrames();
      CredentialLogging.guardGrpcFrames();

      InternalLogger frameLogger = InternalLoggerFactory.getInstance(CredentialLogging.GRPC_FRAME_LOGGER);
      assertThat(frameLogger.isDebugEnabled()).isFalse();
      assertThat(frameLogger.isTraceEnabled()).isFalse();
      assertThat(frameLogger.isEnabled(InternalLogLevel.DEBUG)).isFalse();
      assertThat(frameLogger.isEnabled(InternalLogLevel.INFO)).isTrue();
      assertThat(frameLogger.name()).isEqualTo(CredentialLogging.GRPC_FRAME_LOGGER);
      InternalLogger otherLogger = InternalLoggerFactory.getInstance(other.getName());
      assertThat(otherLogger.isDebugEnabled()).isTrue();
    } finally {
      InternalLoggerFactory.setDefaultFactory(before);
      frames.setLevel(framesBefore);
      other.setLevel(otherBefore);
    }
  }
}
