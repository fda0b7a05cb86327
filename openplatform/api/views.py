from django.views.decorators.csrf import csrf_exempt

from openplatform.api.problems import problem


@csrf_exempt
def api_not_found(request, rest):
    """An unknown API path answers in the API's error shape, not with an HTML page."""
    return problem(404, f"No API route {request.path}.")
