from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


def accessibility(request):
    return render(request, "accessibility.html")


def health(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
