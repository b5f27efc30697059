export const id = 855;
export const ids = [855];
export const modules = {

/***/ 8855:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   writeSummary: () => (/* binding */ writeSummary)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6257);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2413);
/* harmony import */ var _zone_refs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(420);
/* harmony import */ var _zone_task_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1541);




const OUTCOME = {
    set: '✅ set',
    changed: '✅ changed',
    unchanged: '✅ unchanged',
    matches: '✅ as expected',
    read: '✅ read',
    drift: '❌ drift',
    failed: '❌ failed',
};
function escape(text) {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
/** The job summary: a row per zone, the failures with their codes, and the run it came from. */
async function writeSummary(results, settings, redact) {
    const failures = results.filter((result) => result.error !== null);
    const cell = (text) => escape(redact(text));
    const heading = failures.length === 0
        ? `Auto-Origin TLS KEX (${settings.mode}): ${results.length === 1 ? 'done' : `all ${results.length} zones done`}`
        : `Auto-Origin TLS KEX (${settings.mode}): ${failures.length} of ${results.length} ${results.length === 1 ? 'zone' : 'zones'} failed`;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading(escape(heading), 3).addTable([
        [
            { data: 'Zone', header: true },
            { data: 'Before', header: true },
            { data: settings.mode === 'check' ? 'Expected' : 'Requested', header: true },
            { data: 'After', header: true },
            { data: 'modified_on', header: true },
            { data: 'Outcome', header: true },
        ],
        ...results.map((result) => [
            cell((0,_zone_refs_js__WEBPACK_IMPORTED_MODULE_3__/* .describeZone */ .C1)(result)),
            // core.summary drops a cell whose data is empty, so unknown values show as a dash.
            result.previousEnabled === null ? '–' : (0,_zone_task_js__WEBPACK_IMPORTED_MODULE_2__/* .onOff */ .Ro)(result.previousEnabled),
            result.requested === null ? '–' : (0,_zone_task_js__WEBPACK_IMPORTED_MODULE_2__/* .onOff */ .Ro)(result.requested),
            result.enabled === null ? '–' : (0,_zone_task_js__WEBPACK_IMPORTED_MODULE_2__/* .onOff */ .Ro)(result.enabled),
            cell(result.modifiedOn ?? '–'),
            OUTCOME[result.outcome],
        ]),
    ]);
    if (failures.length > 0) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading('Failures', 4).addList(failures.map((result) => {
            const codes = result.codes.length > 0 ? ` <em>(Cloudflare codes ${result.codes.join(', ')})</em>` : '';
            return `<strong>${cell((0,_zone_refs_js__WEBPACK_IMPORTED_MODULE_3__/* .describeZone */ .C1)(result))}</strong>: ${cell(result.error ?? '')}${codes}`;
        }));
    }
    const run = runLink();
    if (run !== undefined)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addRaw(`<sub>${run}</sub>`, true);
    await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.write();
}
function runLink() {
    const repository = process.env.GITHUB_REPOSITORY;
    if (!repository)
        return undefined;
    const { serverUrl, runId, eventName, sha } = _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._;
    const url = `${serverUrl}/${repository}/actions/runs/${runId}`;
    return `${escape(repository)} · ${escape(eventName)} · ${escape(sha.slice(0, 7))} · <a href="${escape(url)}">run ${runId}</a>`;
}


/***/ })

};
