package ru.svoykrug.hub.ops;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Debian's headless Chromium driven through its chromedriver, signed in to a hub's {@code /ops} dashboard.
 * The dashboard re-renders every 15 s, so every lookup here is retried when an element went stale.
 */
public final class OpsBrowser implements AutoCloseable {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final Path profile;
    private final ChromeDriver driver;
    private final FluentWait<WebDriver> wait;

    public OpsBrowser() throws IOException {
        profile = Files.createTempDirectory("ops-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // without the networking flags Chromium reaches out at start, which this machine refuses
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public FluentWait<WebDriver> await() {
        return wait;
    }

    /** Opens the dashboard and signs in with the token; answers once the connections table has rows. */
    public void signIn(int port, String token) {
        driver.get("http://127.0.0.1:" + port + "/ops");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        driver.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#connections tbody tr")));
    }

    /** The ids of the connections the dashboard's table shows, one row each. */
    public List<String> shownConnections() {
        return wait.until(d -> d.findElements(By.cssSelector("#connections tbody tr")).stream()
                .map(r -> r.getAttribute("data-connection")).toList());
    }

    /** Clicks what the locator finds, looking again if the page re-rendered in between. */
    public void click(By locator) {
        wait.until(d -> {
            d.findElement(locator).click();
            return true;
        });
    }

    public void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
