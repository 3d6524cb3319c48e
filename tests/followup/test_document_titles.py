"""A document's heading joins its kind and the meeting's title without doubling a word."""

import pytest

from followup.meetings.documents import join_titles


@pytest.mark.parametrize(
    ("kind", "title", "expected"),
    [
        ("Notula Rapat", "Rapat Pembahasan Evaluasi SP", "Notula Rapat Pembahasan Evaluasi SP"),
        ("Notula Rapat", "rapat koordinasi", "Notula Rapat koordinasi"),
        ("Daftar Hadir", "Rapat Pembahasan Evaluasi SP", "Daftar Hadir Rapat Pembahasan Evaluasi SP"),
        ("Berita Acara", "Forum Konsultasi Publik", "Berita Acara Forum Konsultasi Publik"),
        ("Surat Undangan", "Undangan", "Surat Undangan"),
    ],
)
def test_join_titles_never_doubles_a_word(kind, title, expected):
    assert join_titles(kind, title) == expected
