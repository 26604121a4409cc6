package ru.svoykrug.hub.connect.onec;

import ru.svoykrug.hub.connect.MappingException;
import ru.svoykrug.hub.connect.Money;
import ru.svoykrug.hub.connect.StagedPage.CustomerRow;
import ru.svoykrug.hub.connect.StagedPage.SaleKind;
import ru.svoykrug.hub.connect.StagedPage.SaleRow;
import ru.svoykrug.hub.connect.StagedPage.SaleStatus;
import ru.svoykrug.hub.customers.PhoneNumbers;
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

    SaleRow receipt(JsonNode item, Map<String, String> cardOwners) {
        String ref = requiredRef(item);
        LocalDateTime date = OnecValues.date(item, "Date");
        if (date == null) {
            throw new MappingException("Date is empty");
        }
        String operation = OnecValues.text(item, names.operationField());
        SaleKind kind;
        if (names.saleOperation().equals(operation)) {
            kind = SaleKind.SALE;
        } else if (names.returnOperation().equals(operation)) {
            kind = SaleKind.REFUND;
        } else {
            throw new MappingException(names.operationField() + " '" + operation + "' is neither "
                    + names.saleOperation() + " nor " + names.returnOperation());
        }
        long amount = Math.abs(Money.kopecks(item.get(names.amountField()), names.amountField()));
        boolean effective = item.path("Posted").asBoolean(false) && !item.path("DeletionMark").asBoolean(false);
        String card = OnecValues.ref(item, names.receiptCardField());
        String customer = card == null ? null : cardOwners.get(card);
        return new SaleRow(ref, kind, effective ? SaleStatus.COMPLETED : SaleStatus.VOID, customer, null,
                date.atZone(zone).toInstant(), amount, changedAt);
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
