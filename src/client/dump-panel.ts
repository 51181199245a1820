// Placeholder until the Analyze Dump panel lands (issue 7).
import type * as vscode from 'vscode';

export function registerDumpPanel(_context: vscode.ExtensionContext, _output: vscode.OutputChannel): void {}
