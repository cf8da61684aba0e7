"""Certificates (giấy chứng nhận): templates organizers edit safely, bulk issuing, serials, verification."""
