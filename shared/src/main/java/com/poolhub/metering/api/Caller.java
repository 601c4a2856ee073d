package com.poolhub.metering.api;

/**
 * Who is calling, as the authorizer established it from the API key: an admin, a tenant or a miner,
 * with its id. Routes ask it whether the caller may see what it asks for.
 */
public record Caller(Role role, String id) {

    /** The kinds of key holders. */
    public enum Role { ADMIN, TENANT, MINER }

    /** Context keys the authorizer sets and routes read. */
    public static final String ROLE_KEY = "role";
    public static final String ID_KEY = "principal";

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw ApiException.forbidden("this route is for admins");
        }
    }

    /** Admins see every tenant; a tenant only itself. */
    public void requireTenantOrAdmin(String tenant) {
        if (!isAdmin() && !(role == Role.TENANT && id.equals(tenant))) {
            throw ApiException.forbidden("this data belongs to another tenant");
        }
    }

    /** Admins see every miner; a miner only itself. */
    public void requireMinerOrAdmin(String minerId) {
        if (!isAdmin() && !(role == Role.MINER && id.equals(minerId))) {
            throw ApiException.forbidden("this data belongs to another miner");
        }
    }

    /** The tenant a tenant-or-admin route acts for: the caller itself, or the tenant an admin names. */
    public String tenantFor(String requested) {
        if (isAdmin()) {
            if (requested == null || requested.isBlank()) {
                throw ApiException.badRequest("tenant is required");
            }
            return requested;
        }
        if (role != Role.TENANT) {
            throw ApiException.forbidden("this route is for tenants and admins");
        }
        if (requested != null && !requested.isBlank() && !requested.equals(id)) {
            throw ApiException.forbidden("this data belongs to another tenant");
        }
        return id;
    }
}
