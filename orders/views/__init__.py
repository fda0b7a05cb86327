"""Orders core views: order list and detail, fulfillment, shipping templates, storefront."""
