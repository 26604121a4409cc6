package ru.svoykrug.hub.connect.onec;

import ru.svoykrug.hub.customers.PhoneNumbers;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.Money;
import ru.svoykrug.hub.staging.StagedPage.CustomerRow;
import ru.svoykrug.hub.staging.StagedPage.PaymentRow;
import ru.svoykrug.hub.staging.StagedPage.SaleKind;
import ru.svoykrug.hub.staging.StagedPage.SaleRow;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.staging.StagedPage;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * 1C objects to canonical rows. A receipt is a sale only while it is posted and not marked for deletion;
 * otherwise it stays staged as VOID, so one that was un-posted or deleted after it was staged is undone.
 * 1C keeps no change time, so {@code changedAt} is when the hub saw a new {@code DataVersion}.
 */
final class OnecMapper {

    private final OnecNames names;
    private final ZoneId zone;
    private final Instant changedAt;

    OnecMapper(OnecNames names, ZoneId zone, Instant changedAt) {
        this.names = names;
        this.zone = zone;
        this.changedAt = changedAt;
    }

    /**
     * A receipt: a sale ({@code Продажа}) is a sale row; a return ({@code Возврат}) is money returned, a
     * negative payment naming the sale it returns ({@code ЧекККМПродажа_Key} or the configured field).
     * A receipt re-typed between two syncs leaves its row in the other table void (sale) or deleted
     * (payment). Either counts only while posted and not marked for deletion.
     */
    void receipt(JsonNode item, Map<String, String> cardOwners, StagedPage page) {
        String ref = requiredRef(item);
        LocalDateTime date = OnecValues.date(item, "Date");
        if (date == null) {
            throw new MappingException("Date is empty");
        }
        String operation = OnecValues.text(item, names.operationField());
        boolean isReturn;
        if (names.saleOperation().equals(operation)) {
            isReturn = false;
        } else if (names.returnOperation().equals(operation)) {
            isReturn = true;
        } else {
            throw new MappingException(names.operationField() + " is neither " + names.saleOperation() + " nor "
                    + names.returnOperation());
        }
        long amount = Money.kopecks(item.get(names.amountField()), names.amountField());
        if (amount < 0) {
            // 1C keeps a return's sum positive; a negative document sum is not the format
            throw new MappingException(names.amountField() + " is negative");
        }
        boolean effective = item.path("Posted").asBoolean(false) && !item.path("DeletionMark").asBoolean(false);
        String card = OnecValues.ref(item, names.receiptCardField());
        String customer = card == null ? null : cardOwners.get(card);
        Instant at = date.atZone(zone).toInstant();
        if (isReturn) {
            String sale = OnecValues.ref(item, names.returnSaleField());
            page.payments.add(new PaymentRow(ref, sale, customer, null, at, -amount, !effective, changedAt));
            page.retiredSales.add(ref);
        } else {
            page.sales.add(new SaleRow(ref, SaleKind.SALE, effective ? SaleStatus.COMPLETED : SaleStatus.VOID, customer, null,
                    at, amount, changedAt));
            page.retiredPayments.add(ref);
        }
    }

    CustomerRow customer(JsonNode item) {
        String ref = requiredRef(item);
        String phone = null;
        for (JsonNode contact : item.path(names.contactsField())) {
            if (names.phoneType().equals(OnecValues.text(contact, names.contactTypeField()))) {
                phone = PhoneNumbers.toE164(OnecValues.text(contact, names.contactValueField())).orElse(null);
                if (phone != null) {
                    break;
                }
            }
        }
        return new CustomerRow(ref, OnecValues.text(item, "Description"), phone,
                item.path("DeletionMark").asBoolean(false), changedAt);
    }

    OnecLedger.Card card(JsonNode item) {
        String ref = requiredRef(item);
        String owner = OnecValues.ref(item, names.cardOwnerField());
        if (owner == null) {
            owner = OnecValues.ref(item, names.cardOwnerField() + "_Key");
        }
        return new OnecLedger.Card(ref, OnecValues.text(item, names.cardCodeField()), owner,
                item.path("DeletionMark").asBoolean(false));
    }

    private static String requiredRef(JsonNode item) {
        String ref = OnecValues.ref(item, "Ref_Key");
        if (ref == null) {
            throw new MappingException("Ref_Key is missing");
        }
        return ref;
    }
}
