def inactivity(request):
    """The inactivity banner's data for seller pages (lazy: computed only when rendered)."""
    shop = getattr(request, "shop", None)
    if shop is None:
        return {}

    def status():
        from lifecycle.selectors import inactivity_status

        return inactivity_status(shop)

    return {"inactivity": status}
