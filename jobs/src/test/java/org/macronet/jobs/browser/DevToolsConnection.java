package org.macronet.jobs.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One WebSocket to the browser endpoint of the Chrome DevTools Protocol, with flattened sessions:
 * commands carry an {@code id} (and the {@code sessionId} of the tab they address), the reply
 * carries the same {@code id}; messages without an {@code id} are events, handed to the listener
 * of their session. Every wait is bounded.
 */
final class DevToolsConnection implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A protocol event: its method ({@code Runtime.exceptionThrown}) and parameters. */
  record Event(String method, JsonNode params) {}

  private volatile WebSocket socket;
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, Consumer<Event>> sessions = new ConcurrentHashMap<>();
  private final Object sendLock = new Object();
  private volatile Throwable closedBy;

  private DevToolsConnection() {}

  /** Connects to {@code endpoint}, the {@code ws://} address the browser prints on start. */
  static DevToolsConnection connect(URI endpoint, Duration timeout) throws IOException {
    DevToolsConnection connection = new DevToolsConnection();
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    connection.socket = await(
        http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(endpoint, connection.new Receiver()),
        timeout, "the connection to " + endpoint);
    return connection;
  }

  /** Sends {@code method} to the browser itself (no session) and returns the reply's {@code result}. */
  JsonNode send(String method, ObjectNode params, Duration timeout) throws IOException {
    return send(null, method, params, timeout);
  }

  /**
   * Sends {@code method} with {@code params} to the tab of {@code sessionId} (the browser when null)
   * and returns the reply's {@code result}; a protocol error or no reply within {@code timeout}
   * throws.
   */
  JsonNode send(String sessionId, String method, ObjectNode params, Duration timeout) throws IOException {
    int id = nextId.getAndIncrement();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params == null ? JSON.createObjectNode() : params);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      if (closedBy != null) {
        throw new IOException("the DevTools connection is closed; cannot send " + method, closedBy);
      }
      synchronized (sendLock) {
        // the WebSocket allows one outstanding send at a time
        await(socket.sendText(JSON.writeValueAsString(message), true), timeout, "sending " + method);
      }
      return await(reply, timeout, "the reply to " + method);
    } finally {
      pending.remove(id);
    }
  }

  /** Hands the events of {@code sessionId} to {@code listener} (on the connection's thread). */
  void listen(String sessionId, Consumer<Event> listener) {
    sessions.put(sessionId, listener);
  }

  void forget(String sessionId) {
    sessions.remove(sessionId);
  }

  @Override
  public void close() {
    fail(new IOException("the DevTools connection was closed"));
    socket.abort();
  }

  private void receive(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      fail(new IOException("unreadable DevTools message: " + abbreviate(text), e));
      return;
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
      if (reply == null) {
        return; // the caller gave up waiting
      }
      JsonNode error = message.get("error");
      if (error != null) {
        reply.completeExceptionally(new IOException("DevTools error " + error.path("code").asText() + ": "
            + error.path("message").asText() + (error.has("data") ? " (" + error.get("data").asText() + ")" : "")));
      } else {
        reply.complete(message.path("result"));
      }
      return;
    }
    Consumer<Event> listener = sessions.get(message.path("sessionId").asText(""));
    if (listener != null) {
      listener.accept(new Event(message.path("method").asText(), message.path("params")));
    }
  }

  private void fail(Throwable cause) {
    if (closedBy == null) {
      closedBy = cause;
    }
    pending.values().forEach(reply -> reply.completeExceptionally(cause));
  }

  static <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws IOException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new IOException("waited " + timeout.toMillis() + " ms for " + what + " in vain", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException("waiting for " + what + ": "
          + (cause.getMessage() != null ? cause.getMessage() : cause.toString()), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + what, e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  /**
   * Reassembles text messages that arrive in fragments (a multi-megabyte screenshot comes in many)
   * and passes whole ones on, in order, on the WebSocket's thread.
   */
  private final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      try {
        partial.append(data);
        if (last) {
          String text = partial.toString();
          partial.setLength(0);
          receive(text);
        }
      } finally {
        webSocket.request(1); // the next fragment, whatever became of this one
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int status, String reason) {
      fail(new IOException("the browser closed the DevTools connection (status " + status
          + (reason.isEmpty() ? "" : ", " + reason) + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      fail(new IOException("the DevTools connection failed", error));
    }
  }
}
