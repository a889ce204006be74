#pragma once
// Assembles the session, the controller, the views, docks, menus and shortcuts. Holds no model maths and no
// view logic of its own: each piece lives in its own class.
#include <QMainWindow>
#include <memory>
#include <optional>

#include "ui/app_settings.h"
#include "ui/session/explorer_controller.h"
#include "ui/session/model_handle.h"
#include "ui/session/session.h"

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace maxstate::ui {

class AlphasView;
class CompareController;
class ComparePanel;
class CheckpointList;
class CursorBar;
class EditsPanel;
class KlView;
class WhatIfActions;
class WhatIfController;
class EmptyPage;
class ExportController;
class HeadStatesView;
class InputPanel;
class PredictionsView;
class SelectionBar;
class SourcesView;
class StateHeatmapView;
class TermsView;
class TokenStrip;

// A bundled demo: a model and the text it starts on; the title names it in File > Open demo.
struct DemoSetup {
  QString modelPath;
  QString text;
  QString title;
  std::optional<Tokenizer> tokenizer;  // what the demo's texts were tokenised with
};

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(std::shared_ptr<const ModelLoader> loader, QWidget* parent = nullptr);
  ~MainWindow() override;

  void setDemo(DemoSetup demo) { setDemos({std::move(demo)}); }
  // Every bundled demo, the default (what the explorer starts on) first; File > Open demo offers them all.
  void setDemos(QList<DemoSetup> demos);
  // Opens a demo's model on its text (the default demo without an index).
  void openDemo(int index = 0);
  void openFiles(const QStringList& paths);
  // File > Open text: a UTF-8 file becomes the text input (in the tokeniser chosen) and is traced; false
  // (with a dialog saying why) for a file that cannot be used.
  bool openTextFile(const QString& path);

  Session& session() { return m_session; }
  BackgroundWork& work() { return m_controller->work(); }
  ExplorerController& controller() { return *m_controller; }
  ExportController& exporter() { return *m_exporter; }
  WhatIfController& whatIf() { return *m_whatIf; }
  WhatIfActions& whatIfActions() { return *m_whatIfActions; }
  EditsPanel* editsPanel() const { return m_edits; }
  KlView* klView() const { return m_kl; }
  CompareController& compare() { return *m_compare; }
  ComparePanel* comparePanel() const { return m_comparePanel; }
  CheckpointList* checkpointList() const { return m_checkpoints; }
  // Opens every checkpoint in a folder, in training order (File > Open folder, or a folder dropped).
  void openFolder(const QString& folder);

  // The parts, for tests.
  StateHeatmapView* heatmapView() const { return m_heatmap; }
  HeadStatesView* headStatesView() const { return m_headStates; }
  SourcesView* sourcesView() const { return m_sources; }
  TermsView* termsView() const { return m_terms; }
  AlphasView* alphasView() const { return m_alphas; }
  PredictionsView* predictionsView() const { return m_predictions; }
  TokenStrip* tokenStrip() const { return m_tokens; }
  EmptyPage* emptyPage() const { return m_empty; }
  // True while the centre shows the empty page (nothing traced) instead of the heatmap.
  bool showsEmptyPage() const;
  CursorBar* cursorBar() const { return m_cursorBar; }
  InputPanel* inputPanel() const { return m_input; }
  QLabel* statusLabel() const { return m_statusLabel; }
  QPushButton* cancelButton() const { return m_cancel; }
  QProgressBar* progressBar() const { return m_progress; }

 signals:
  void errorShown(const QString& title, const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void openTextDialog();
  void buildViews();
  void buildStatusBar();
  void buildWhatIf();   // main_window_whatif.cpp
  void buildCompare();  // main_window_compare.cpp
  void openFolderDialog();
  void cancelOrStopComparing();
  void buildEditMenu();
  void buildMenus();
  void buildNavigation(QMenu* menu);
  void buildExport(QMenu* file);
  void refreshRecentMenu();
  void refreshDemoMenu();
  void openDialog();
  void showError(const QString& title, const QString& message);
  void showFontWarning(const QString& message);
  std::optional<int64_t> askHeads(const QString& path, const QString& why);
  void setTheme(const QString& name);
  void updateTitle();

  Session m_session;
  std::unique_ptr<ExplorerController> m_controller;
  std::unique_ptr<WhatIfController> m_whatIf;  // gone before the session and controller it uses
  WhatIfActions* m_whatIfActions = nullptr;
  std::unique_ptr<CompareController> m_compare;
  ComparePanel* m_comparePanel = nullptr;
  EditsPanel* m_edits = nullptr;
  KlView* m_kl = nullptr;
  ExportController* m_exporter = nullptr;
  AppSettings m_settings;
  QList<DemoSetup> m_demos;
  QByteArray m_defaultState;

  StateHeatmapView* m_heatmap = nullptr;
  HeadStatesView* m_headStates = nullptr;
  SourcesView* m_sources = nullptr;
  TermsView* m_terms = nullptr;
  AlphasView* m_alphas = nullptr;
  PredictionsView* m_predictions = nullptr;
  TokenStrip* m_tokens = nullptr;
  EmptyPage* m_empty = nullptr;
  QStackedWidget* m_centre = nullptr;
  CursorBar* m_cursorBar = nullptr;
  SelectionBar* m_selection = nullptr;
  InputPanel* m_input = nullptr;
  CheckpointList* m_checkpoints = nullptr;
  QMenu* m_viewMenu = nullptr;
  QMenu* m_recentMenu = nullptr;
  QMenu* m_demoMenu = nullptr;
  QLabel* m_statusLabel = nullptr;
  QProgressBar* m_progress = nullptr;
  QPushButton* m_cancel = nullptr;
};

}  // namespace maxstate::ui
