"""Min sida blocks: plans and general information for the person."""


def plans_section(request):
    return None


def announcements_section(request):
    return None
