import { parse } from 'acorn';

// A loose view of ESTree nodes: the walker only needs `type` and the child fields it names.
interface AstNode {
  readonly type: string;
  readonly [field: string]: unknown;
}

class Scope {
  readonly declared = new Set<string>();
  constructor(
    readonly parent: Scope | undefined,
    readonly isFunction: boolean,
  ) {}

  functionScope(): Scope {
    let s: Scope = this;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }

  resolves(name: string): boolean {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.declared.has(name)) return true;
    return false;
  }
}

/** Parses a function's source text (as `fn.toString()` gives it) into its expression node. */
export function parseFunctionSource(source: string): AstNode {
  const attempts = [`(${source})`, `({${source}})`];
  let lastError: unknown;
  for (const text of attempts) {
    try {
      const program = parse(text, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true }) as unknown as AstNode;
      const body = program['body'] as AstNode[];
      const expression = (body[0] as AstNode)['expression'] as AstNode;
      // `({ method() {} })`: the function is the object's only property's value.
      if (expression.type === 'ObjectExpression') return ((expression['properties'] as AstNode[])[0] as AstNode)['value'] as AstNode;
      return expression;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * The names a function reads or writes without declaring them (its free variables), in order of
 * first use. Declarations are resolved after the whole walk, so hoisting order does not matter.
 * `typeof name` alone does not count: it is how code tests for an optional global.
 */
export function freeVariables(source: string): string[] {
  const root = new Scope(undefined, true);
  const references: { name: string; scope: Scope }[] = [];

  const declarePattern = (pattern: AstNode | null, scope: Scope, outer: Scope): void => {
    if (!pattern) return;
    switch (pattern.type) {
      case 'Identifier':
        scope.declared.add(pattern['name'] as string);
        return;
      case 'ObjectPattern':
        for (const p of pattern['properties'] as AstNode[]) {
          if (p.type === 'RestElement') declarePattern(p['argument'] as AstNode, scope, outer);
          else {
            if (p['computed']) visit(p['key'] as AstNode, outer);
            declarePattern(p['value'] as AstNode, scope, outer);
          }
        }
        return;
      case 'ArrayPattern':
        for (const e of pattern['elements'] as (AstNode | null)[]) declarePattern(e, scope, outer);
        return;
      case 'RestElement':
        declarePattern(pattern['argument'] as AstNode, scope, outer);
        return;
      case 'AssignmentPattern':
        declarePattern(pattern['left'] as AstNode, scope, outer);
        visit(pattern['right'] as AstNode, outer);
        return;
      default:
        // A member expression as an assignment target: `({ a: obj.x } = v)`.
        visit(pattern, outer);
    }
  };

  const visitFunction = (node: AstNode, scope: Scope): void => {
    const inner = new Scope(scope, true);
    const id = node['id'] as AstNode | null;
    if (id && node.type === 'FunctionDeclaration') scope.declared.add(id['name'] as string);
    else if (id) inner.declared.add(id['name'] as string);
    if (node.type !== 'ArrowFunctionExpression') inner.declared.add('arguments');
    for (const p of node['params'] as AstNode[]) declarePattern(p, inner, inner);
    const body = node['body'] as AstNode;
    // The body block shares the parameters' scope (a `let` there may not redeclare a parameter).
    if (body.type === 'BlockStatement') for (const s of body['body'] as AstNode[]) visit(s, inner);
    else visit(body, inner);
  };

  const visitClass = (node: AstNode, scope: Scope): void => {
    const id = node['id'] as AstNode | null;
    const inner = new Scope(scope, false);
    if (id) (node.type === 'ClassDeclaration' ? scope : inner).declared.add(id['name'] as string);
    if (node['superClass']) visit(node['superClass'] as AstNode, scope);
    for (const member of (node['body'] as AstNode)['body'] as AstNode[]) {
      if (member.type === 'StaticBlock') {
        const block = new Scope(inner, true);
        for (const s of member['body'] as AstNode[]) visit(s, block);
        continue;
      }
      if (member['computed']) visit(member['key'] as AstNode, inner);
      const value = member['value'] as AstNode | null;
      if (value) visit(value, new Scope(inner, true));
    }
  };

  const visitChildren = (node: AstNode, scope: Scope): void => {
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
      const child = node[key];
      if (Array.isArray(child)) {
        for (const c of child) if (isNode(c)) visit(c, scope);
      } else if (isNode(child)) visit(child, scope);
    }
  };

  const visit = (node: AstNode, scope: Scope): void => {
    switch (node.type) {
      case 'Identifier':
        references.push({ name: node['name'] as string, scope });
        return;
      case 'FunctionExpression':
      case 'FunctionDeclaration':
      case 'ArrowFunctionExpression':
        visitFunction(node, scope);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
        visitClass(node, scope);
        return;
      case 'VariableDeclaration': {
        const target = node['kind'] === 'var' ? scope.functionScope() : scope;
        for (const d of node['declarations'] as AstNode[]) {
          declarePattern(d['id'] as AstNode, target, scope);
          if (d['init']) visit(d['init'] as AstNode, scope);
        }
        return;
      }
      case 'BlockStatement':
      case 'StaticBlock':
      case 'SwitchStatement':
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
        visitChildren(node, new Scope(scope, false));
        return;
      case 'CatchClause': {
        const inner = new Scope(scope, false);
        declarePattern(node['param'] as AstNode | null, inner, inner);
        visit(node['body'] as AstNode, inner);
        return;
      }
      case 'MemberExpression':
        visit(node['object'] as AstNode, scope);
        if (node['computed']) visit(node['property'] as AstNode, scope);
        return;
      case 'Property':
      case 'PropertyDefinition':
      case 'MethodDefinition':
        if (node['computed']) visit(node['key'] as AstNode, scope);
        if (node['value']) visit(node['value'] as AstNode, scope);
        return;
      case 'LabeledStatement':
        visit(node['body'] as AstNode, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'PrivateIdentifier':
        return;
      case 'UnaryExpression':
        if (node['operator'] === 'typeof' && (node['argument'] as AstNode).type === 'Identifier') return;
        visitChildren(node, scope);
        return;
      case 'AssignmentExpression':
        assignTarget(node['left'] as AstNode, scope);
        visit(node['right'] as AstNode, scope);
        return;
      default:
        visitChildren(node, scope);
    }
  };

  // Destructuring assignment (not declaration): its identifiers are references.
  const assignTarget = (pattern: AstNode, scope: Scope): void => {
    switch (pattern.type) {
      case 'ObjectPattern':
        for (const p of pattern['properties'] as AstNode[]) {
          if (p.type === 'RestElement') assignTarget(p['argument'] as AstNode, scope);
          else {
            if (p['computed']) visit(p['key'] as AstNode, scope);
            assignTarget(p['value'] as AstNode, scope);
          }
        }
        return;
      case 'ArrayPattern':
        for (const e of pattern['elements'] as (AstNode | null)[]) if (e) assignTarget(e, scope);
        return;
      case 'RestElement':
        assignTarget(pattern['argument'] as AstNode, scope);
        return;
      case 'AssignmentPattern':
        assignTarget(pattern['left'] as AstNode, scope);
        visit(pattern['right'] as AstNode, scope);
        return;
      default:
        visit(pattern, scope);
    }
  };

  visit(parseFunctionSource(source), root);
  const free: string[] = [];
  for (const { name, scope } of references) if (!scope.resolves(name) && !free.includes(name)) free.push(name);
  return free;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
