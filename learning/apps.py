from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        # Imported here, not at the top: Django loads models only after every app config.
        from learning.discovery.index import SearchIndex
        from reviews.publishing.public_copies import review_index_register

        # Publishing tells search about every change to what the public sees.
        review_index_register(SearchIndex())
