package org.macronet.jobs.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tab of a {@link HeadlessBrowser} with a loaded page. It records, from before the navigation
 * on, every {@code console.error} (and failed {@code console.assert}), every uncaught exception and
 * every browser log entry of level error (a resource that failed to load, say).
 */
public final class BrowserPage implements AutoCloseable {
  /** 1 for each image that does not decode, or decodes to nothing; the sum over the document. */
  private static final String BROKEN_IMAGES = "Promise.all([...document.images].map(i => i.decode()"
      + ".then(() => i.naturalWidth === 0 ? 1 : 0, () => 1))).then(b => b.reduce((s, x) => s + x, 0))";

  private final DevToolsConnection devTools;
  private final String targetId;
  private final String sessionId;
  private final Duration timeout;
  private final List<String> errors = new ArrayList<>();
  private final Map<String, CompletableFuture<Void>> loaded = new ConcurrentHashMap<>();

  private BrowserPage(DevToolsConnection devTools, String targetId, String sessionId, Duration timeout) {
    this.devTools = devTools;
    this.targetId = targetId;
    this.sessionId = sessionId;
    this.timeout = timeout;
  }

  static BrowserPage open(DevToolsConnection devTools, URI url, Duration timeout) throws IOException {
    String targetId = devTools.send("Target.createTarget", params().put("url", "about:blank"), timeout)
        .path("targetId").asText();
    String sessionId = devTools.send("Target.attachToTarget",
        params().put("targetId", targetId).put("flatten", true), timeout).path("sessionId").asText();
    BrowserPage page = new BrowserPage(devTools, targetId, sessionId, timeout);
    devTools.listen(sessionId, page::record);
    try {
      page.command("Runtime.enable", params());
      page.command("Log.enable", params());
      page.command("Page.enable", params());
      page.command("Page.setLifecycleEventsEnabled", params().put("enabled", true));
      JsonNode navigation = page.command("Page.navigate", params().put("url", url.toString()));
      if (navigation.hasNonNull("errorText")) {
        throw new IOException("cannot open " + url + ": " + navigation.get("errorText").asText());
      }
      // the load event of this navigation's document, not of the about:blank before it
      String loader = navigation.path("loaderId").asText();
      DevToolsConnection.await(page.loaded.computeIfAbsent(loader, l -> new CompletableFuture<>()), timeout,
          "the load event of " + url);
      return page;
    } catch (IOException | RuntimeException e) {
      try {
        page.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * The console errors, uncaught exceptions and error log entries so far, one line each (an
   * exception with its stack), in the order they came.
   */
  public List<String> consoleErrors() throws IOException {
    // a round trip to the page first: the events it sent before the reply have then arrived
    command("Runtime.evaluate", params().put("expression", "0"));
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /**
   * The value of {@code expression}, awaited if it is a promise, as JSON (missing for
   * {@code undefined}). An exception in the script fails the test with its message.
   */
  public JsonNode evaluate(String expression) throws IOException {
    JsonNode reply = command("Runtime.evaluate",
        params().put("expression", expression).put("returnByValue", true).put("awaitPromise", true));
    if (reply.has("exceptionDetails")) {
      throw new AssertionError("the script threw " + exception(reply.get("exceptionDetails")) + "\nscript: "
          + expression);
    }
    return reply.path("result").path("value");
  }

  /** The number of {@code <img>} elements whose image does not decode. */
  public int brokenImages() throws IOException {
    return evaluate(BROKEN_IMAGES).asInt();
  }

  /** Clicks the first element that matches {@code cssSelector}; none is a failure. */
  public void click(String cssSelector) throws IOException {
    String selector = DevToolsConnection.JSON.writeValueAsString(cssSelector);
    evaluate("(() => { const e = document.querySelector(" + selector + ");"
        + " if (e === null) throw new Error('no element matches ' + " + selector + ");"
        + " e.click(); })()");
  }

  /** Writes a PNG of the whole page, beyond the window too, to {@code png}. */
  public void screenshot(Path png) throws IOException {
    JsonNode metrics = command("Page.getLayoutMetrics", params());
    JsonNode size = metrics.has("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
    ObjectNode clip = params().put("x", 0).put("y", 0).put("scale", 1)
        .put("width", Math.ceil(size.path("width").asDouble()))
        .put("height", Math.ceil(size.path("height").asDouble()));
    ObjectNode capture = params().put("format", "png").put("captureBeyondViewport", true);
    capture.set("clip", clip);
    byte[] image = Base64.getDecoder().decode(command("Page.captureScreenshot", capture).path("data").asText());
    if (png.toAbsolutePath().getParent() != null) {
      Files.createDirectories(png.toAbsolutePath().getParent());
    }
    Files.write(png, image);
  }

  /** Closes the tab. */
  @Override
  public void close() throws IOException {
    devTools.forget(sessionId);
    devTools.send("Target.closeTarget", params().put("targetId", targetId), timeout);
  }

  private JsonNode command(String method, ObjectNode params) throws IOException {
    return devTools.send(sessionId, method, params, timeout);
  }

  /** Runs on the connection's thread. */
  private void record(DevToolsConnection.Event event) {
    JsonNode p = event.params();
    switch (event.method()) {
      case "Page.lifecycleEvent" -> {
        if (p.path("name").asText().equals("load")) {
          loaded.computeIfAbsent(p.path("loaderId").asText(), l -> new CompletableFuture<>()).complete(null);
        }
      }
      case "Runtime.consoleAPICalled" -> {
        String type = p.path("type").asText();
        if (type.equals("error") || type.equals("assert")) {
          List<String> args = new ArrayList<>();
          p.path("args").forEach(a -> args.add(text(a)));
          error("console." + type + ": " + String.join(" ", args));
        }
      }
      case "Runtime.exceptionThrown" -> error(exception(p.path("exceptionDetails")));
      case "Log.entryAdded" -> {
        JsonNode entry = p.path("entry");
        if (entry.path("level").asText().equals("error")) {
          error(entry.path("source").asText() + ": " + entry.path("text").asText()
              + (entry.hasNonNull("url") ? " (" + entry.get("url").asText() + ")" : ""));
        }
      }
      default -> {
        // the other events of the enabled domains say nothing about errors
      }
    }
  }

  private void error(String line) {
    synchronized (errors) {
      errors.add(line);
    }
  }

  /** "Uncaught Error: message" and the stack, from the protocol's ExceptionDetails. */
  private static String exception(JsonNode details) {
    JsonNode thrown = details.path("exception");
    String text = details.path("text").asText("exception");
    return thrown.isMissingNode() ? text + " at " + details.path("url").asText() + ":"
        + (details.path("lineNumber").asInt() + 1) : text + " " + text(thrown);
  }

  /** A console argument or thrown value (a protocol RemoteObject) as text. */
  private static String text(JsonNode remote) {
    if (remote.has("value")) {
      JsonNode value = remote.get("value");
      return value.isTextual() ? value.asText() : value.toString();
    }
    if (remote.has("unserializableValue")) {
      return remote.get("unserializableValue").asText();
    }
    return remote.path("description").asText(remote.path("type").asText());
  }

  private static ObjectNode params() {
    return DevToolsConnection.JSON.createObjectNode();
  }
}
