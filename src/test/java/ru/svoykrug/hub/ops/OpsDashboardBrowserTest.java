package ru.svoykrug.hub.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import ru.svoykrug.hub.TestTokens;
import ru.svoykrug.hub.connect.TestConnections;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.nightly.NightScenario;
import ru.svoykrug.hub.nightly.StagingFixture;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;
import ru.svoykrug.hub.sync.SyncRunStatus;
import ru.svoykrug.hub.sync.SyncRunner;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops dashboard in a real browser: Debian's headless Chromium, driven through chromedriver, against
 * this test's hub, signed in with an OPS token. It sees every connection, starts a sync with the button
 * and sees the run appear, reads a refused connection's trouble in plain words, and opens a night and its
 * steps. Screenshots of the three pages go to {@code target/screenshots/}.
 */
class OpsDashboardBrowserTest extends NightScenario {

    @LocalServerPort
    int port;
    @Autowired
    SyncRunner syncs;
    @Autowired
    ConnectionRepository repository;

    private YclientsSimulator sim;
    private OpsBrowser ops;
    private ChromeDriver browser;
    private FluentWait<WebDriver> wait;

    @BeforeEach
    void openBrowser() throws IOException {
        ops = new OpsBrowser();
        browser = ops.driver();
        wait = ops.await();
    }

    @AfterEach
    void close() throws IOException {
        if (ops != null) ops.close();
        if (sim != null) sim.close();
    }

    @Test
    void opsSeeEveryConnectionSyncOneReadAFailureInPlainWordsAndOpenANight() throws Exception {
        sim = YclientsSimulator.start(YclientsDataSet.of(41, 60), 4564);
        connections.ensure(TestConnections.yclients("ui-good", sim, 100));
        connections.ensure(TestConnections.yclients("ui-refused", sim, 100, "wrong-user-token"));
        assertThat(syncs.run("ui-refused", "test").status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        StagingFixture shop = partner("ui-shop");
        shop.customer("u1", "+79165557001");
        shop.sale("u1", LocalDate.of(2026, 6, 1), 2_500);
        long night = night(LocalDate.of(2026, 6, 10)).getId();

        ops.signIn(port, TestTokens.ops());

        // every connection the hub has, one row each
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-connection='ui-good']")));
        assertThat(ops.shownConnections()).containsAll(repository.findAll().stream().map(PartnerConnection::id).toList());
        wait.until(ExpectedConditions.textToBe(By.cssSelector("tr[data-connection='ui-refused'] td.problem"), "credentials rejected"));
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-connection='ui-refused'] [data-status='CREDENTIALS_REJECTED']")));
        ops.screenshot("ops-connections");

        // sync now, then the connection's page shows the run
        ops.click(By.cssSelector("tr[data-connection='ui-good'] button[data-action='sync']"));
        ops.click(By.cssSelector("tr[data-connection='ui-good'] a"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs")));
        // the page refreshes by itself: the run appears, and ends, without a reload
        new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(StaleElementReferenceException.class).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#runs tbody tr:first-child [data-status='SUCCEEDED']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#runs tbody tr:first-child"), "manual"));
        assertThat(browser.findElements(By.cssSelector("#runs tbody tr"))).as("one run: the one the button started").hasSize(1);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#runs-chart canvas")));
        ops.screenshot("ops-connection");

        // the refused connection's page says why in plain words
        browser.get("http://127.0.0.1:" + port + "/ops/#/connection/ui-refused");
        wait.until(ExpectedConditions.textToBe(By.id("connection-problem"), "credentials rejected"));

        // nights: the list, then one night and its steps
        ops.click(By.id("nav-nights"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-night='" + night + "']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nights-chart canvas")));
        ops.click(By.cssSelector("tr[data-night='" + night + "'] a"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#steps tbody tr[data-step='customers']")));
        List<String> steps = wait.until(d -> d.findElements(By.cssSelector("#steps tbody tr")).stream()
                .map(r -> r.getAttribute("data-step")).toList());
        assertThat(steps).startsWith("customers", "purchases", "reconcile", "points", "activity", "rfm");
        List<String> statuses = wait.until(d -> d.findElements(By.cssSelector("#steps tbody tr [data-status]")).stream()
                .map(e -> e.getAttribute("data-status")).toList());
        assertThat(statuses).hasSize(steps.size()).containsOnly("COMPLETED");
        ops.screenshot("ops-night");

        // a phone: the same rows, the tables scroll sideways
        browser.manage().window().setSize(new Dimension(390, 844));
        ops.click(By.id("nav-connections"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-connection='ui-refused'] td.problem")));
        ops.screenshot("ops-connections-phone");
    }

    @Test
    void withoutATokenThePageAsksForOneAndShowsNoData() {
        browser.get("http://127.0.0.1:" + port + "/ops/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(TestTokens.partner("someone"));
        browser.findElement(By.id("sign-in")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText())
                .isEqualTo("This token has no OPS role");
        assertThat(browser.findElements(By.cssSelector("#connections"))).isEmpty();
    }
}
