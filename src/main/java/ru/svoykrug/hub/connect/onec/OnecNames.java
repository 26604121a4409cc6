package ru.svoykrug.hub.connect.onec;

import ru.svoykrug.hub.connections.PartnerConnection;

/**
 * The entity and field names of one 1C infobase. Every 1C configuration names things its own way, so
 * each is a connection setting; the defaults are those of the common retail configurations.
 */
record OnecNames(String receiptEntity, String customerEntity, String cardEntity,
                 String operationField, String saleOperation, String returnOperation, String returnSaleField, String amountField,
                 String receiptCardField, String cardCodeField, String cardOwnerField,
                 String contactsField, String contactTypeField, String phoneType, String contactValueField) {

    static OnecNames of(PartnerConnection c) {
        return new OnecNames(
                c.setting("receiptEntity", "Document_ЧекККМ"),
                c.setting("customerEntity", "Catalog_Контрагенты"),
                c.setting("cardEntity", "Catalog_ИнформационныеКарты"),
                c.setting("operationField", "ВидОперации"),
                c.setting("saleOperation", "Продажа"),
                c.setting("returnOperation", "Возврат"),
                c.setting("returnSaleField", "ЧекККМПродажа_Key"),
                c.setting("amountField", "СуммаДокумента"),
                c.setting("receiptCardField", "ДисконтнаяКарта_Key"),
                c.setting("cardCodeField", "КодКарты"),
                c.setting("cardOwnerField", "ВладелецКарты"),
                c.setting("contactsField", "КонтактнаяИнформация"),
                c.setting("contactTypeField", "Тип"),
                c.setting("phoneType", "Телефон"),
                c.setting("contactValueField", "Представление"));
    }

    String entity(String stream) {
        return switch (stream) {
            case "receipts" -> receiptEntity;
            case "customers" -> customerEntity;
            case "cards" -> cardEntity;
            default -> throw new IllegalArgumentException("Unknown 1C stream " + stream);
        };
    }
}
