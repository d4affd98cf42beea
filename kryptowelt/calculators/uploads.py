"""An upload handler that keeps the reader's file in memory and never writes it to disk.

Django's default handlers write uploads above 2.5 MB to a temporary file; the tax page
promises that nothing the reader uploads is stored, so it reads files into memory only and
stops reading at the size limit: `limit` for each file, `total_limit` for all files of one
request together (readers may upload several exports at once)."""

from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers, StopUpload


class InMemoryLimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int, total_limit: int | None = None):
        super().__init__(request)
        self.limit = limit
        self.total_limit = total_limit if total_limit is not None else limit
        self.too_large = False
        self.size = 0
        self.total = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = BytesIO()
        self.size = 0
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        self.total += len(raw_data)
        if self.size > self.limit or self.total > self.total_limit:
            self.too_large = True
            self.file = BytesIO()
            raise StopUpload(connection_reset=False)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
