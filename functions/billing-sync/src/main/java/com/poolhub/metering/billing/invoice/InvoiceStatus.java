package com.poolhub.metering.billing.invoice;

/** DRAFT while the month is open (computed on request, never stored); ISSUED once closed (stored, never changed). */
public enum InvoiceStatus { DRAFT, ISSUED }
