from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Swedish unless the person has chosen another language.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which
    would show English to most staff computers; the product is Swedish first,
    and English is a choice made with the language selector (stored in a cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
