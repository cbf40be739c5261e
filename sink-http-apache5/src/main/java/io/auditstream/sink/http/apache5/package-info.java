/**
 * The HTTP transport of HTTP destinations on Apache HttpClient 5's asynchronous client, for more
 * requests per second than the JDK's client on Java 17: add {@code io.auditstream:sink-http-apache5}
 * beside {@code io.auditstream:sink-http} and it is found through {@link java.util.ServiceLoader}. Its
 * connections go only to the addresses that passed the network address policy. See {@link
 * io.auditstream.sink.http.apache5.ApacheHttpTransportProvider}.
 */
package io.auditstream.sink.http.apache5;
