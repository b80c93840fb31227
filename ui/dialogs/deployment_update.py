"""Update a running deployment's SDL in the same editor as the Deploy tab (inline errors as you type)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui import shortcuts
from ui.widgets.sdl_check import SdlCheck
from ui.widgets.sdl_editor import SdlEditor


class UpdateSdlDialog(QDialog):
    """Accepted with `text()` once the SDL is valid and differs from the running one."""

    def __init__(self, dseq: int, sdl_text: str, network: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("updateSdlDialog")
        self.setWindowTitle(f"Update deployment {dseq}")
        self.resize(820, 640)
        self.original = sdl_text
        layout = QVBoxLayout(self)
        note = QLabel("Images, environment, commands and exposes can change in place. Resources, counts and prices "
                      "cannot: deploy a new SDL for those and close this deployment when the new one runs.", self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.editor = SdlEditor(self, network=network)
        layout.addWidget(self.editor, 1)
        self.hint = QLabel(self)
        self.hint.setObjectName("updateHint")
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton("Update…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("updateOk")
        self.ok.setToolTip("Next: the confirmation; then the new manifest goes to the providers (Ctrl+Enter)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        shortcuts.bind(self, "update.confirm", self._ctrl_enter)
        self.editor.checked.connect(self._checked)
        self.editor.set_text(sdl_text, undoable=False)

    def text(self) -> str:
        return self.editor.text()

    def _checked(self, result: SdlCheck) -> None:
        same = result.text == self.original
        self.ok.setEnabled(result.deployable and not same)
        self.hint.setText("Change the SDL to update it." if same else
                          "" if result.deployable else "Fix the problems shown before updating.")

    def _ctrl_enter(self) -> None:
        if self.ok.isEnabled():
            self.accept()
