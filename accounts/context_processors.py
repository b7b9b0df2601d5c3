def roles(request):
    access = getattr(request, "access", None)
    if access is None or not request.user.is_authenticated:
        return {}
    return {"access": access, "active_grant": access.active}
