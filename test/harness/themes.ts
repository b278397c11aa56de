// The --vscode-* variables the panels use, with VS Code's default Light+ and Dark+ values,
// so browser tests and screenshots render as in the editor.
export type ThemeName = 'light' | 'dark';

const common = { '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace', '--vscode-editor-font-size': '12px' };

export const THEMES: Record<ThemeName, { kind: ThemeName; vars: Record<string, string> }> = {
  light: {
    kind: 'light',
    vars: {
      ...common,
      '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
      '--vscode-errorForeground': '#e51400', '--vscode-focusBorder': '#005fb8', '--vscode-panel-border': '#e5e5e5',
      '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-list-activeSelectionBackground': '#e8e8e8', '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-list-inactiveSelectionBackground': '#e4e6f1', '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-red': '#e51400', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#bf8803', '--vscode-textLink-foreground': '#005fb8', '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece', '--vscode-input-placeholderForeground': '#767676',
      '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-dropdown-border': '#cecece',
      '--vscode-checkbox-background': '#f8f8f8', '--vscode-checkbox-border': '#cecece', '--vscode-sideBarSectionHeader-background': '#f8f8f8',
      '--vscode-testing-iconPassed': '#388a34', '--vscode-widget-border': '#e5e5e5',
      // The names @vscode-elements reads (VS Code sets these too).
      '--vscode-settings-textInputBackground': '#ffffff', '--vscode-settings-textInputForeground': '#3b3b3b', '--vscode-settings-textInputBorder': '#cecece',
      '--vscode-settings-dropdownBackground': '#ffffff', '--vscode-settings-dropdownForeground': '#3b3b3b', '--vscode-settings-dropdownBorder': '#cecece', '--vscode-settings-dropdownListBorder': '#cecece',
      '--vscode-settings-checkboxBackground': '#ffffff', '--vscode-settings-checkboxForeground': '#3b3b3b', '--vscode-settings-checkboxBorder': '#cecece', '--vscode-checkbox-foreground': '#3b3b3b',
      '--vscode-button-border': 'transparent', '--vscode-list-hoverForeground': '#3b3b3b', '--vscode-list-highlightForeground': '#005fb8', '--vscode-widget-shadow': 'rgba(0,0,0,0.16)',
    },
  },
  dark: {
    kind: 'dark',
    vars: {
      ...common,
      '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-errorForeground': '#f85149', '--vscode-focusBorder': '#0078d4', '--vscode-panel-border': '#2b2b2b',
      '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e', '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-list-inactiveSelectionBackground': '#37373d', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700', '--vscode-textLink-foreground': '#4daafc', '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c', '--vscode-input-placeholderForeground': '#989898',
      '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc', '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-checkbox-background': '#313131', '--vscode-checkbox-border': '#3c3c3c', '--vscode-sideBarSectionHeader-background': '#181818',
      '--vscode-testing-iconPassed': '#73c991', '--vscode-widget-border': '#313131',
      '--vscode-settings-textInputBackground': '#313131', '--vscode-settings-textInputForeground': '#cccccc', '--vscode-settings-textInputBorder': '#3c3c3c',
      '--vscode-settings-dropdownBackground': '#313131', '--vscode-settings-dropdownForeground': '#cccccc', '--vscode-settings-dropdownBorder': '#3c3c3c', '--vscode-settings-dropdownListBorder': '#454545',
      '--vscode-settings-checkboxBackground': '#313131', '--vscode-settings-checkboxForeground': '#cccccc', '--vscode-settings-checkboxBorder': '#3c3c3c', '--vscode-checkbox-foreground': '#cccccc',
      '--vscode-button-border': 'rgba(255,255,255,0.07)', '--vscode-list-hoverForeground': '#cccccc', '--vscode-list-highlightForeground': '#2aaaff', '--vscode-widget-shadow': 'rgba(0,0,0,0.36)',
    },
  },
};
