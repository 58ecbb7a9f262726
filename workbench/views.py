def home(request): pass
def health(request): pass
