package ru.svoykrug.hub.ops;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The ops dashboard: a static page ({@code static/ops/}) over the ops API, at {@code /ops}. The page and
 * its scripts are public (they hold no data); every figure they show comes from {@code /api/v1/ops/**}
 * with the OPS token the page is given.
 */
@Configuration(proxyBeanMethods = false)
class DashboardPages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/ops", "/ops/");
        registry.addViewController("/ops/").setViewName("forward:/ops/index.html");
    }
}
