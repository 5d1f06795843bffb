"""What the task worker (``manage.py db_worker``) does by itself, without a web request.

``jobs`` lists the periodic jobs; ``tasks`` has the housekeeping task that runs the due ones
and puts itself back in the queue.
"""
