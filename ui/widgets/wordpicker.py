"""Verify a recovery phrase by clicking its words in order on shuffled buttons (over app WordQuiz)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.wallet.wizard import WordQuiz

COLUMNS = 6


class WordPicker(QWidget):
    """Shows the words picked so far and one button per shuffled word; `progressed` on each change."""

    progressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quiz: WordQuiz | None = None
        layout = QVBoxLayout(self)
        self.prompt = QLabel(self)
        self.picked = QLabel(self)
        self.picked.setObjectName("mnemonicWords")
        self.picked.setWordWrap(True)
        self.feedback = QLabel(self)
        self.feedback.setObjectName("errorText")
        self.grid = QGridLayout()
        row = QHBoxLayout()
        self.undo = QPushButton("Undo last", self)
        self.undo.setToolTip("Take back the last word picked")
        self.undo.clicked.connect(self._undo)
        row.addStretch(1)
        row.addWidget(self.undo)
        for widget in (self.prompt, self.picked, self.feedback):
            layout.addWidget(widget)
        layout.addLayout(self.grid)
        layout.addLayout(row)
        self.buttons: list[QPushButton] = []

    def set_quiz(self, quiz: WordQuiz | None) -> None:
        self.quiz = quiz
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        if quiz is not None:
            for i, word in enumerate(quiz.choices):
                button = QPushButton(word, self)
                button.setObjectName("wordChoice")
                button.clicked.connect(lambda _=False, i=i: self.pick(i))
                self.grid.addWidget(button, i // COLUMNS, i % COLUMNS)
                self.buttons.append(button)
        self.feedback.clear()
        self._render()

    def pick(self, choice: int) -> bool:
        if self.quiz is None:
            return False
        position = self.quiz.next_position
        ok = self.quiz.pick(choice)
        self.feedback.setText("" if ok else f"“{self.quiz.choices[choice]}” is not word {position}. Check your paper copy.")
        self._render()
        return ok

    def _undo(self) -> None:
        if self.quiz is not None:
            self.quiz.undo()
            self.feedback.clear()
            self._render()

    def _render(self) -> None:
        quiz = self.quiz
        if quiz is None:
            self.picked.clear()
            return
        words = quiz.picked_words()
        total = len(quiz.choices)
        self.picked.setText("  ".join(f"{i + 1}. {w}" for i, w in enumerate(words)) or "…")
        self.prompt.setText(
            "All words are in order." if quiz.complete else f"Click word {quiz.next_position} of {total}."
        )
        for i, button in enumerate(self.buttons):
            button.setEnabled(not quiz.used(i))
        self.undo.setEnabled(bool(words))
        self.progressed.emit()
