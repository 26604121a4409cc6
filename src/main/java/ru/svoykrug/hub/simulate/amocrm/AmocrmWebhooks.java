package ru.svoykrug.hub.simulate.amocrm;

import ru.svoykrug.hub.simulate.kit.WebhookSender;

/** amoCRM calling an account's webhook address, as the vendor does. */
public final class AmocrmWebhooks {

    private AmocrmWebhooks() {
    }

    /**
     * The webhook for an updated lead: form-encoded {@code leads[update][0][...]} fields and the account's
     * subdomain, no signature (amoCRM signs none). Returns the hub's status.
     */
    public static int notifyLeadUpdated(String webhookUrl, long leadId) {
        return WebhookSender.post(webhookUrl, "application/x-www-form-urlencoded",
                "leads%5Bupdate%5D%5B0%5D%5Bid%5D=" + leadId + "&account%5Bsubdomain%5D=sim&account%5Bid%5D=1");
    }
}
