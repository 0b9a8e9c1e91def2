package org.xmppcm.plugin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.xmppcm.engine.ConnectedLink;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.engine.LinkTraffic;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * The admin pages as an administrator sees and uses them: served by Jetty, rendered and submitted by headless
 * Chromium (Debian's, installed by {@code scripts/ensure-test-browser.sh} before the tests).
 */
class AdminPagesBrowserTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static WebDriver browser;

    private final FakeConsoleBackend backend = new FakeConsoleBackend();
    private final AtomicReference<Instant> clock = new AtomicReference<>(NOW);
    private ConsolePagesServer pages;

    @BeforeAll
    static void startBrowser() {
        File chromium = new File("/usr/bin/chromium");
        File driver = new File("/usr/bin/chromedriver");
        assertThat(chromium.canExecute()).as("%s runs (scripts/ensure-test-browser.sh installs it)", chromium).isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void startPages() throws Exception {
        pages = new ConsolePagesServer(backend, Locale.ROOT, clock::get);
        browser.manage().deleteAllCookies();
    }

    @AfterEach
    void stopPages() throws Exception {
        pages.close();
    }

    @Test
    void theManagersPageShowsEachManagerWithItsLinksSessionsAndTraffic() {
        backend.managers = List.of(new ConnectedManager("cm-east", List.of(
                new ConnectedLink("cm-east/conn1", "/192.0.2.10:40001", NOW.minusSeconds(2 * 3600 + 5 * 60), 2,
                        true, true, new LinkTraffic(7200, 3600, 7_372_800, 3_686_400)),
                new ConnectedLink("cm-east/conn2", "/192.0.2.10:40002", NOW.minusSeconds(42), 1,
                        false, false, LinkTraffic.NONE)), 3));

        browser.get(pages.url(ConsoleServlets.MANAGERS_PATH));

        assertThat(browser.getTitle()).isEqualTo("Connected Managers");
        assertThat(text("listener")).isEqualTo("Listening for connection managers on *:5262.");
        WebElement manager = browser.findElement(By.cssSelector("[data-manager='cm-east']"));
        assertThat(manager.findElement(By.className("summary")).getText()).isEqualTo("3 client sessions over 2 links");
        // First view: the average since connecting, 7200 elements over 7500 s.
        assertThat(cells("cm-east/conn1")).containsExactly("cm-east/conn1", "/192.0.2.10:40001", "yes", "yes",
                "2 h 5 min", "2", "1.0/s", "0.5/s", "1.0 KiB/s", "0.5 KiB/s", "yes");
        assertThat(cells("cm-east/conn2")).containsExactly("cm-east/conn2", "/192.0.2.10:40002", "no", "no",
                "42 s", "1", "0.0/s", "0.0/s", "0.0 KiB/s", "0.0 KiB/s", "yes");
        assertThat(text("pushed")).contains("TLS for clients required", "SASL mechanisms SCRAM-SHA-1, PLAIN",
                "Tuning link.grace.seconds=30");

        // Ten seconds later conn1 carried 500 elements in: the page shows the rate of those ten seconds.
        clock.set(NOW.plusSeconds(10));
        backend.managers = List.of(new ConnectedManager("cm-east", List.of(
                new ConnectedLink("cm-east/conn1", "/192.0.2.10:40001", NOW.minusSeconds(2 * 3600 + 5 * 60), 2,
                        true, true, new LinkTraffic(7700, 3600, 7_372_800 + 102_400, 3_686_400))), 2));
        submit(By.linkText("Refresh"));
        assertThat(cells("cm-east/conn1")).contains("50.0/s", "0.0/s", "10.0 KiB/s");
    }

    @Test
    void anAdministratorFindsAClientOfAManagerAndClosesIt() {
        backend.managers = List.of(new ConnectedManager("cm-east", List.of(new ConnectedLink("cm-east/conn1",
                "/192.0.2.10:40001", NOW.minusSeconds(600), 2, true, false, LinkTraffic.NONE, true)), 2));
        backend.clients.put("cm-east", List.of(
                new ClientView("a11ce001", "alice@example.test/phone", "198.51.100.7", "cm-east/conn1",
                        NOW.minusSeconds(75), 12, 30),
                new ClientView("b0b00002", "bob@example.test/desk", "198.51.100.8", null, NOW.minusSeconds(5), 1, 2)));

        browser.get(pages.url(ConsoleServlets.MANAGERS_PATH));
        assertThat(cells("cm-east/conn1")).last().isEqualTo("paused: Openfire is catching up");
        submit(By.className("show-clients"));

        assertThat(text("clients-count")).isEqualTo("2 clients.");
        assertThat(clientCells("a11ce001")).containsExactly("alice@example.test/phone", "198.51.100.7",
                "cm-east/conn1", "1 min 15 s", "12", "30", "Close");
        assertThat(clientCells("b0b00002")).contains("none (the manager is away)");

        type("filter", "alice");
        submit(By.id("apply-filter"));
        assertThat(text("clients-count")).isEqualTo("1 client.");
        assertThat(browser.findElements(By.cssSelector("tr[data-stream='b0b00002']"))).isEmpty();

        submit(By.cssSelector("tr[data-stream='a11ce001'] .close-client"));
        assertThat(backend.closedClients).containsExactly("cm-east/a11ce001");
        assertThat(text("client-closed")).isEqualTo("Client a11ce001 closed.");
        assertThat(browser.findElements(By.cssSelector("tr[data-stream='a11ce001']"))).isEmpty();
    }

    @Test
    void withoutManagersThePageSaysSoAndAListenerProblemIsShownAsAnError() {
        backend.listener = new ListenerStatus(5262, "*:5262", false,
                "Openfire's built-in connection manager listener is enabled on port 5262.");

        browser.get(pages.url(ConsoleServlets.MANAGERS_PATH));

        assertThat(text("no-managers")).isEqualTo("No connection manager is connected.");
        WebElement listener = browser.findElement(By.id("listener"));
        assertThat(listener.getAttribute("class")).isEqualTo("error");
        assertThat(listener.getText()).isEqualTo("Not listening for connection managers on *:5262. Openfire's"
                + " built-in connection manager listener is enabled on port 5262.");
    }

    @Test
    void aManagerNameIsShownAsTextNeverRunAsMarkup() {
        String hostile = "<img src=x onerror=\"document.title='owned'\">";
        backend.managers = List.of(new ConnectedManager(hostile, List.of(), 1));

        browser.get(pages.url(ConsoleServlets.MANAGERS_PATH));

        assertThat(browser.getTitle()).isEqualTo("Connected Managers");
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("<img src=x");
        assertThat(text("no-managers", Optional.empty())).isEmpty();
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Connection manager " + hostile);
        // One session on no link: singular and "no", not "1 client sessions over 0 links".
        assertThat(browser.findElement(By.className("summary")).getText()).isEqualTo("1 client session over no links");
    }

    @Test
    void anAdministratorChangesPortAndTuningAndSeesThemSaved() {
        browser.get(pages.url(ConsoleServlets.SETTINGS_PATH));
        assertThat(value("port")).isEqualTo("5262");
        assertThat(value("tuning-client-idle-timeout-seconds")).isEmpty();

        type("port", "5263");
        type("tuning-client-idle-timeout-seconds", "600");
        type("tuning-link-grace-seconds", "45");
        new Select(browser.findElement(By.id("linkTls"))).selectByVisibleText("required before the handshake");
        assertThat(browser.findElement(By.id("linkCompression")).isSelected()).isTrue();
        browser.findElement(By.id("linkCompression")).click();
        submit(By.id("save-listener"));

        assertThat(text("notice")).isEqualTo("Listener and tuning saved.");
        assertThat(backend.lastApplied()).get().isInstanceOfSatisfying(SettingsChange.ListenerAndTuning.class, c -> {
            assertThat(c.port()).isEqualTo(5263);
            assertThat(c.linkTls()).isEqualTo(TlsPolicy.REQUIRED);
            assertThat(c.linkCompression()).isFalse();
            assertThat(c.tuning()).containsEntry("client.idle.timeout.seconds", Optional.of(600))
                    .containsEntry("link.grace.seconds", Optional.of(45))
                    .containsEntry("client.max", Optional.empty());
        });
        assertThat(value("port")).isEqualTo("5263");
        assertThat(value("tuning-client-idle-timeout-seconds")).isEqualTo("600");
        assertThat(new Select(browser.findElement(By.id("linkTls"))).getFirstSelectedOption().getText())
                .isEqualTo("required before the handshake");
        assertThat(browser.findElement(By.id("linkCompression")).isSelected()).isFalse();

        // Clearing a field hands that value back to each manager's own configuration.
        type("tuning-client-idle-timeout-seconds", "");
        submit(By.id("save-listener"));
        assertThat(value("tuning-client-idle-timeout-seconds")).isEmpty();
        assertThat(backend.settings().tuning()).doesNotContainKey("client.idle.timeout.seconds");
    }

    @Test
    void savingAPortTheBuiltInListenerHoldsSaysWhyInRedAndNotSavedInGreen() {
        backend.builtInListenerPort = 5264;
        browser.get(pages.url(ConsoleServlets.SETTINGS_PATH));
        assertThat(browser.findElement(By.id("listener")).getAttribute("class")).isEqualTo("success");

        type("port", "5264");
        submit(By.id("save-listener"));

        assertThat(browser.findElements(By.id("notice"))).as("no green 'saved'").isEmpty();
        WebElement listener = browser.findElement(By.id("listener"));
        assertThat(listener.getAttribute("class")).isEqualTo("error");
        assertThat(listener.getText()).startsWith("Not listening for connection managers on *:5264.")
                .contains("built-in connection manager listener (plain/StartTLS) is enabled on port 5264")
                .contains("starts listening as soon as either is done").doesNotContain("reload");
        assertThat(value("port")).isEqualTo("5264");
    }

    @Test
    void anInvalidValueIsRefusedNextToItsFieldAndNothingChanges() {
        browser.get(pages.url(ConsoleServlets.SETTINGS_PATH));
        type("port", "70000");
        type("tuning-client-max", "many");
        submit(By.id("save-listener"));

        assertThat(text("errors")).isEqualTo("Nothing was changed. Please correct the fields marked below.");
        assertThat(text("port-error")).isEqualTo("Enter a port from 1 to 65535.");
        assertThat(text("tuning-client-max-error"))
                .isEqualTo("Enter a whole number in the range shown, or leave the field empty.");
        assertThat(value("port")).isEqualTo("70000");
        assertThat(backend.applied).isEmpty();
    }

    @Test
    void secretsAreSetAndRemovedButNeverShown() {
        browser.get(pages.url(ConsoleServlets.SETTINGS_PATH));
        assertThat(text("default-secret-state")).startsWith("No default secret is set");
        type("default-secret", "correct horse battery");
        submit(By.id("save-default-secret"));
        assertThat(text("notice")).isEqualTo("Default secret saved.");
        assertThat(text("default-secret-state")).startsWith("A default secret is set.");

        type("manager-name", "CM-East");
        type("manager-secret", "s3cret-of-east");
        submit(By.id("save-manager-secret"));
        assertThat(text("notice")).isEqualTo("Manager secret saved.");
        assertThat(backend.lastApplied()).contains(new SettingsChange.ManagerSecret("cm-east", "s3cret-of-east"));
        assertThat(browser.findElement(By.cssSelector("#manager-secrets [data-manager='cm-east']")).getText())
                .startsWith("cm-east");
        assertThat(browser.getPageSource()).doesNotContain("s3cret-of-east", "correct horse battery");

        submit(By.cssSelector("#manager-secrets [data-manager='cm-east'] input[type=submit]"));
        assertThat(backend.lastApplied()).contains(new SettingsChange.ManagerSecret("cm-east", null));
        assertThat(text("no-manager-secrets")).isEqualTo("No manager has a secret of its own.");
    }

    @Test
    void aManagerNameThatCannotHaveASecretIsRefused() {
        browser.get(pages.url(ConsoleServlets.SETTINGS_PATH));
        type("manager-name", "bad name/with slash");
        type("manager-secret", "x");
        submit(By.id("save-manager-secret"));

        assertThat(text("managerSecret-manager-error")).startsWith("Enter the manager name it uses on its links");
        assertThat(backend.applied).isEmpty();
    }

    @Test
    void thePagesSpeakDutchForADutchConsole() throws Exception {
        pages.close();
        pages = new ConsolePagesServer(backend, Locale.forLanguageTag("nl"), clock::get);

        browser.get(pages.url(ConsoleServlets.SETTINGS_PATH));
        assertThat(browser.getTitle()).isEqualTo("Instellingen connection-manager-plugin");
        browser.get(pages.url(ConsoleServlets.MANAGERS_PATH));
        assertThat(text("no-managers")).isEqualTo("Er is geen connection manager verbonden.");
        assertThat(browser.getPageSource()).doesNotContain("???");
    }

    /** Clicks and waits for the page that answers: the old page's root goes stale once the new one is loaded. */
    private void submit(By button) {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        browser.findElement(button).click();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                oldPage.isEnabled();
            } catch (StaleElementReferenceException gone) {
                return;
            } catch (WebDriverException midNavigation) {
                // ChromeDriver may report the old node as detached before it reports it stale: gone as well.
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no page answered the click on " + button);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private Optional<String> text(String id, Optional<String> absent) {
        List<WebElement> found = browser.findElements(By.id(id));
        return found.isEmpty() ? absent : Optional.of(found.get(0).getText());
    }

    private String value(String id) {
        return browser.findElement(By.id(id)).getAttribute("value");
    }

    private void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private List<String> clientCells(String streamId) {
        return browser.findElements(By.cssSelector("tr[data-stream='" + streamId + "'] td")).stream()
                .map(td -> td.getText().isEmpty() && !td.findElements(By.tagName("input")).isEmpty()
                        ? td.findElements(By.cssSelector("input[type='submit']")).get(0).getAttribute("value")
                        : td.getText())
                .toList();
    }

    private List<String> cells(String link) {
        return browser.findElements(By.cssSelector("tr[data-link='" + link + "'] td")).stream()
                .map(WebElement::getText).toList();
    }
}
