"""The private bucket's storage: complaint attachments, receipts, letters and incoming mail's files.

Like the private directory it replaces, it gives no URL at all, signed or not: a file leaves
the bucket only through a view that checked who may see its case and wrote the audit log.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("This file is not accessible via a URL.")
