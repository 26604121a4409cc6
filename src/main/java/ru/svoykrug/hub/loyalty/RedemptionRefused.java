package ru.svoykrug.hub.loyalty;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Why a redemption or its cancellation was refused, as the problem the API answers with (Spring renders an
 * {@link ErrorResponseException} as {@code application/problem+json}). Details name ids and figures only,
 * never a phone.
 */
public final class RedemptionRefused extends ErrorResponseException {

    private RedemptionRefused(HttpStatus status, String title, String detail) {
        super(status, problem(status, title, detail), null);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    public static RedemptionRefused unknownCustomer() {
        return new RedemptionRefused(HttpStatus.NOT_FOUND, "Unknown customer", "No customer of the circle has this id or phone");
    }

    public static RedemptionRefused unknownPartner(String partnerId) {
        return new RedemptionRefused(HttpStatus.NOT_FOUND, "Unknown partner", "No partner has the id " + partnerId);
    }

    public static RedemptionRefused unknownRedemption(long id) {
        return new RedemptionRefused(HttpStatus.NOT_FOUND, "Unknown redemption", "This partner has no redemption " + id);
    }

    static RedemptionRefused notEnoughPoints(long asked, long balance) {
        RedemptionRefused refused = new RedemptionRefused(HttpStatus.CONFLICT, "Not enough points",
                "Asked to spend " + asked + " points; " + balance + " active points can be spent");
        refused.getBody().setProperty("balance", balance);
        refused.getBody().setProperty("asked", asked);
        return refused;
    }

    static RedemptionRefused keyReused() {
        return new RedemptionRefused(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                "This key was used for another redemption (other customer, partner, points or receipt)");
    }

    static RedemptionRefused notToday(long id) {
        return new RedemptionRefused(HttpStatus.CONFLICT, "Too late to cancel",
                "Redemption " + id + " can be cancelled only on the day it was made, in the partner's zone");
    }

    static RedemptionRefused busy() {
        RedemptionRefused refused = new RedemptionRefused(HttpStatus.CONFLICT, "Points are being posted",
                "The night is posting points; try again in a minute");
        refused.getHeaders().set("Retry-After", "60");
        return refused;
    }
}
